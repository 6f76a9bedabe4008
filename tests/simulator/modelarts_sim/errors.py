"""Error answers: the service's (``ModelArts.NNNN``) and the API gateway's (``APIGW.NNNN``)."""


class ServiceError(Exception):
    """An error answer: HTTP status plus the service's error body."""

    def __init__(self, status, code, msg, headers=None):
        super().__init__("%s %s: %s" % (status, code, msg))
        self.status = status
        self.code = code
        self.msg = msg
        self.headers = headers or {}

    @property
    def body(self):
        return {"error_code": self.code, "error_msg": self.msg}


def bad_request(msg):
    """ModelArts.6400: a malformed request (syntax, unknown field, wrong type)."""
    return ServiceError(400, "ModelArts.6400", msg)


def property_error(msg):
    """ModelArts.6336: a value the rules refuse."""
    return ServiceError(400, "ModelArts.6336", msg)


def required_error(msg):
    """ModelArts.6335: a required property is missing."""
    return ServiceError(400, "ModelArts.6335", msg)


def unknown_api():
    """What the gateway answers, before authentication, for a method and path it has no API for."""
    return ServiceError(404, "APIGW.0101", "The API does not exist or has not been published in the environment")
