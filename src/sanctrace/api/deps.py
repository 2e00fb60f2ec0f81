"""FastAPI dependencies that routers and pages share."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from sanctrace.api.access import WorkspaceAccess


def workspace_access(request: Request) -> WorkspaceAccess:
    """The app's gate to the workspace (set by ``create_app``)."""
    return cast(WorkspaceAccess, request.app.state.workspace)


Access = Annotated[WorkspaceAccess, Depends(workspace_access)]
