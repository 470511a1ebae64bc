"""placeholder"""
from extractor.document import Doc


def recognize(doc: Doc) -> None:
    return None
