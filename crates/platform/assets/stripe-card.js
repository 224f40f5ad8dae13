// The card form of an order page (billing, Stripe). Loads Stripe.js from the
// address the form names (data-script: the one script origin the page's CSP
// allows), mounts a card Element, and on submit confirms the payment with
// confirmCardPayment, which also runs 3-D Secure when the card asks for it.
// Then it goes to the order's return page, where the server asks Stripe how
// the payment went: the browser's word is never taken for it. The card number
// stays in Stripe's Element; it never reaches our server.
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  if (!form) return;
  var errors = document.getElementById("card-errors");
  var pay = document.getElementById("card-pay");

  function say(message) {
    errors.textContent = message || "";
  }

  function mount() {
    if (typeof window.Stripe !== "function") {
      say(form.dataset.unavailable);
      return;
    }
    var stripe = window.Stripe(form.dataset.key);
    var card = stripe.elements().create("card");
    card.mount("#card-element");
    card.on("change", function (event) {
      say(event && event.error ? event.error.message : "");
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      pay.disabled = true;
      say("");
      stripe
        .confirmCardPayment(form.dataset.secret, { payment_method: { card: card } })
        .then(function (result) {
          if (result && result.error) {
            say(result.error.message || form.dataset.failed);
            pay.disabled = false;
            return;
          }
          window.location.assign(form.dataset["return"]);
        }, function () {
          say(form.dataset.failed);
          pay.disabled = false;
        });
    });
    pay.disabled = false;
  }

  var script = document.createElement("script");
  script.src = form.dataset.script;
  script.onload = mount;
  script.onerror = function () {
    say(form.dataset.unavailable);
  };
  document.head.appendChild(script);
})();
