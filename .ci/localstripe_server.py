"""Starts localstripe (PyPI), the Stripe-compatible test server, on one address.

Its own command (`localstripe --port N`) listens on every interface; this
serves the same aiohttp application on HOST:PORT only (loopback by default).
It starts empty: the state localstripe keeps in /tmp/localstripe.pickle from
an earlier run is not loaded (`DELETE /_config/data` empties a running one).

    python3 .ci/localstripe_server.py [--host 127.0.0.1] [--port 8420]

One gap is filled here: localstripe 1.15 refuses `setup_future_usage` on a
PaymentIntent, which is how Stripe is asked to keep the card of a
subscription's first payment for off-session renewals. It is accepted,
shown on the intent, and the payment method is attached to the intent's
customer once it succeeds, as Stripe does (see `teach_setup_future_usage`).

(Not named localstripe.py: that would shadow the package it imports.)
"""

import argparse
import logging

from aiohttp import web
from localstripe.errors import UserError
from localstripe.resources import PaymentIntent, PaymentMethod
from localstripe.server import app


def teach_setup_future_usage():
    """PaymentIntents take `setup_future_usage` (`off_session` or `on_session`):
    kept on the intent, and a succeeded intent with a customer attaches its
    payment method to that customer, as Stripe does."""
    create = PaymentIntent.__init__
    succeeded = PaymentIntent._on_success

    def __init__(self, *args, setup_future_usage=None, **kwargs):
        if setup_future_usage not in (None, "off_session", "on_session"):
            raise UserError(400, "Bad request")
        create(self, *args, **kwargs)
        self.setup_future_usage = setup_future_usage

    def _on_success(self):
        if getattr(self, "setup_future_usage", None) and self.customer and self.payment_method:
            PaymentMethod._api_retrieve(self.payment_method).customer = self.customer
        succeeded(self)

    PaymentIntent.__init__ = __init__
    PaymentIntent._on_success = _on_success


# What `.ci/run` asks to tell this server from an older one left running on
# the port (which it then replaces): bump it with every change here.
REVISION = "lyceum-localstripe-2"


async def revision(_request):
    return web.Response(text=REVISION)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8420)
    args = parser.parse_args()
    teach_setup_future_usage()
    app.router.add_get("/_config/lyceum-revision", revision)

    access = logging.getLogger("aiohttp.access")
    access.setLevel(logging.INFO)
    access.addHandler(logging.StreamHandler())
    web.run_app(app, host=args.host, port=args.port, access_log=access)


if __name__ == "__main__":
    main()
