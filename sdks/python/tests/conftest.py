"""The servers the round-trip suite talks to, given by SdkRoundTripIT (it-tests) through the environment."""
import os
import uuid

import pytest

import intake_sdk


def _env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: this suite runs from SdkRoundTripIT, which starts the servers")
    return value.rstrip("/")


def client(base_url, token=None):
    config = intake_sdk.Configuration(host=base_url, access_token=token)
    return intake_sdk.ApiClient(config)


@pytest.fixture(scope="session")
def api():
    """The shared server (authentication disabled)."""
    with client(_env("INTAKE_BASE_URL")) as c:
        yield c


@pytest.fixture
def workspace():
    """A workspace of its own for each test, so tests never see each other's data."""
    return os.environ.get("INTAKE_WORKSPACE", "sdk") + "-py-" + uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def servers():
    return {
        "store_down": _env("INTAKE_STORE_DOWN_URL"),
        "small_body": _env("INTAKE_SMALL_BODY_URL"),
        "jwt": _env("INTAKE_JWT_URL"),
        "token_without_role": os.environ["INTAKE_JWT_TOKEN_WITHOUT_ROLE"],
    }
