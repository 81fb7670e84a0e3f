import uuid

from app.cart import add_line, database, total


def test_total_reads_back_what_was_written():
    db = database()
    cart = uuid.uuid4().hex
    add_line(db, cart, 250, 2)
    add_line(db, cart, 100, 1)
    assert total(db, cart) == 600
