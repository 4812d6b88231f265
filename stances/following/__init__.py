"""Following: readers' mail alerts and newsrooms' signed webhooks when a country moves.

A recorded change enqueues one task in its own transaction (receivers.py); a worker fans it out
to the followers' alerts and the endpoints' deliveries, and sends them (delivery.py).
"""
