class RecordIdConverter:
    """`<id:pk>`: a database id. At most 18 digits, so a huge number in a URL is a 404, never an overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
