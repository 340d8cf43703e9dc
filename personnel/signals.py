"""Signals other apps listen to without personnel importing them."""

from django.dispatch import Signal

#: Sent by ``seed_demo`` inside its transaction, after the personnel records are written,
#: with ``seed`` (int), ``today`` (date) and ``stdout``. Apps that build on personnel
#: (rotation, reports) add their own demo records in a receiver.
demo_seeded = Signal()

#: Sent by ``org_unit_update`` inside its transaction when a unit moved in the tree or
#: changed level, with ``unit``: what is counted under each unit may have changed.
org_unit_restructured = Signal()
