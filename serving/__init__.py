"""Everything after the Pusher: the served model directory, clients, and a local server."""
