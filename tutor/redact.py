"""Keys never reach the screen, a transcript or a log.

`redact` blanks every secret it knows in a text: the backend's own key, the value of
every API-key-like environment variable, credentials written into a URL, and
bearer tokens or provider-style keys a server echoed back in an error.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.backends.spec import BackendSpec

MASK = "***"
_SECRET_VARIABLE = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD)", re.I)
_URL_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]+@")
_KEY_SHAPES = re.compile(r"\b(?:Bearer\s+)[A-Za-z0-9._~+/=-]{8,}|\b(?:sk|pk|rk)-[A-Za-z0-9_-]{8,}", re.I)


def known_secrets(spec: BackendSpec | None = None) -> list[str]:
    values = [value for name, value in os.environ.items() if _SECRET_VARIABLE.search(name) and len(value) >= 8]
    if spec is not None:
        key = spec.resolve_key()
        if key and len(key) >= 4:
            values.append(key)
    return sorted(set(values), key=len, reverse=True)


def redact(text: str, spec: BackendSpec | None = None) -> str:
    for secret in known_secrets(spec):
        text = text.replace(secret, MASK)
    text = _URL_CREDENTIALS.sub(MASK + "@", text)
    return _KEY_SHAPES.sub(MASK, text)
