"""The command-line view: Typer commands that call engines and render their results."""
