"""Starts localstripe (PyPI), the Stripe-compatible test server, on one address.

Its own command (`localstripe --port N`) listens on every interface; this
serves the same aiohttp application on HOST:PORT only (loopback by default).
It starts empty: the state localstripe keeps in /tmp/localstripe.pickle from
an earlier run is not loaded (`DELETE /_config/data` empties a running one).

    python3 .ci/localstripe_server.py [--host 127.0.0.1] [--port 8420]

(Not named localstripe.py: that would shadow the package it imports.)
"""

import argparse
import logging

from aiohttp import web
from localstripe.server import app


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8420)
    args = parser.parse_args()

    access = logging.getLogger("aiohttp.access")
    access.setLevel(logging.INFO)
    access.addHandler(logging.StreamHandler())
    web.run_app(app, host=args.host, port=args.port, access_log=access)


if __name__ == "__main__":
    main()
