/* Demand grid: recompute each row's amount, the lot subtotals and the totals excl. and incl. VAT as
   the user types. Numbers are read and written the Belgian way (1.234,56 €). The server recomputes
   everything when the demand is saved; this is only the instant preview. */
(function () {
  "use strict";
  var table = document.querySelector("table.demand-grid");
  if (!table) { return; }
  var framework = table.getAttribute("data-framework") === "1";

  function parse(text) {
    text = (text || "").replace(/[\s\u00a0€]/g, "");
    if (!text) { return 0; }
    if (text.indexOf(",") >= 0) { text = text.replace(/\./g, "").replace(",", "."); }
    var value = Number(text);
    return isFinite(value) && value >= 0 ? value : NaN;
  }
  function money(c) {
    var sign = c < 0 ? "-" : "";
    c = Math.abs(c);
    var whole = String(Math.floor(c / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var rest = String(c % 100).padStart(2, "0");
    return sign + whole + "," + rest + " €";
  }
  // Exact like the server (procurement.selectors): quantities and prices have two decimals, so a line is a
  // whole number of 1/10 000 euro; sums stay exact and are rounded to the cent once, not line by line.
  function e4(qty, price) { return Math.round(qty * 100) * Math.round(price * 100); }
  function update() {
    var excl = 0, incl = 0;  // 1/10 000 euro and 1/1 000 000 euro
    table.querySelectorAll("tbody[data-lot]").forEach(function (body) {
      var lot = 0;
      body.querySelectorAll("tr[data-price]").forEach(function (row) {
        var inputs = row.querySelectorAll("input.qty");
        var qty = parse(inputs[0] && inputs[0].value);
        if (framework && inputs[1] && inputs[1].value.trim() !== "") { qty = parse(inputs[1].value); }
        var cell = row.querySelector("[data-amount]");
        if (isNaN(qty)) { cell.textContent = "—"; return; }
        var value = e4(qty, parseFloat(row.getAttribute("data-price")));
        cell.textContent = money(Math.round(value / 100));
        lot += value;
        incl += value * (100 + parseFloat(row.getAttribute("data-vat")));
      });
      var subtotal = body.querySelector("[data-lot-subtotal] strong");
      if (subtotal) { subtotal.textContent = money(Math.round(lot / 100)); }
      excl += lot;
    });
    var exclCents = Math.round(excl / 100), inclCents = Math.round(incl / 10000);
    document.querySelector("[data-total-excl]").textContent = money(exclCents);
    document.querySelector("[data-total-vat]").textContent = money(inclCents - exclCents);
    document.querySelector("[data-total-incl]").textContent = money(inclCents);
  }
  table.addEventListener("input", update);
  update();
})();
