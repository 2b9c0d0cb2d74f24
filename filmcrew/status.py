"""The one row shape every provider family reports its status in.

Chat models (per role), clip generators and speech synthesisers each have a
`describe_*` function for `filmcrew doctor`; all of them return
`ProviderStatus` rows, so the doctor prints them in one loop and a script can
read them as JSON.
"""

from __future__ import annotations

from typing import TypedDict

__all__ = ["ProviderStatus", "provider_status"]


class ProviderStatus(TypedDict):
    """One provider's status: which seam, which provider and model, whether it can run, whether it is used."""

    seam: str  # "chat", "clips" or "speech"
    role: str  # the role a chat row is for; "" for clips and speech
    provider: str
    model: str
    base_url: str | None
    configured: bool  # it can run here (key, SDK, data present)
    in_use: bool  # the current config selects it
    reason: str  # why it can or cannot run, and what to do


def provider_status(
    seam: str,
    provider: str,
    *,
    configured: bool,
    reason: str,
    in_use: bool = False,
    role: str = "",
    model: str | None = None,
    base_url: str | None = None,
) -> ProviderStatus:
    return ProviderStatus(
        seam=seam, role=role, provider=provider, model=model or "", base_url=base_url,
        configured=configured, in_use=in_use, reason=reason,
    )
