"""The JSON API (FastAPI) over a workspace, with the web pages mounted beside it.

from sanctrace.api import create_app
app = create_app(Path("sanctrace.duckdb"))
"""

from sanctrace.api.app import create_app

__all__ = ["create_app"]
