// The order page while its payment is pending (billing): asks the API where
// the order stands every few seconds and reloads the page once it has
// settled, so a learner back from the gateway sees "paid" without clicking.
// Without script the page's "check the payment again" button does the same.
(function () {
  "use strict";
  var box = document.getElementById("order-status");
  if (!box || box.dataset.status !== "pending") return;
  var url = "/api/v1/orders/" + encodeURIComponent(box.dataset.orderId);
  var delay = 2000;
  var deadline = Date.now() + 15 * 60 * 1000;
  function poll() {
    if (Date.now() > deadline) return;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (order) {
        if (order && order.status !== "pending") {
          window.location.reload();
          return;
        }
        delay = Math.min(delay * 1.5, 15000);
        setTimeout(poll, delay);
      })
      .catch(function () { setTimeout(poll, 15000); });
  }
  setTimeout(poll, delay);
})();
