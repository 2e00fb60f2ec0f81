"""Ships at sea: AIS tracks, their geography, and the behaviours that sanctions evasion
leaves in them."""
