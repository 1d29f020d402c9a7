from reader.words import plural


def test_plural_says_one_and_many() -> None:
    assert plural(1, "article") == "1 article"
    assert plural(0, "article") == "0 articles"
    assert plural(2, "article") == "2 articles"
    assert plural(12345, "entry", "entries") == "12,345 entries"
