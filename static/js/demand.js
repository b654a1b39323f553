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
  function cents(value) { return Math.round(value * 100); }
  function money(c) {
    var sign = c < 0 ? "-" : "";
    c = Math.abs(c);
    var whole = String(Math.floor(c / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var rest = String(c % 100).padStart(2, "0");
    return sign + whole + "," + rest + " €";
  }
  function update() {
    var excl = 0, incl = 0;
    table.querySelectorAll("tbody[data-lot]").forEach(function (body) {
      var lot = 0;
      body.querySelectorAll("tr[data-price]").forEach(function (row) {
        var inputs = row.querySelectorAll("input.qty");
        var qty = parse(inputs[0] && inputs[0].value);
        if (framework && inputs[1] && inputs[1].value.trim() !== "") { qty = parse(inputs[1].value); }
        var cell = row.querySelector("[data-amount]");
        if (isNaN(qty)) { cell.textContent = "—"; return; }
        var amount = cents(qty * parseFloat(row.getAttribute("data-price")));
        cell.textContent = money(amount);
        lot += amount;
        incl += Math.round(amount * (100 + parseFloat(row.getAttribute("data-vat"))) / 100);
      });
      var subtotal = body.querySelector("[data-lot-subtotal] strong");
      if (subtotal) { subtotal.textContent = money(lot); }
      excl += lot;
    });
    document.querySelector("[data-total-excl]").textContent = money(excl);
    document.querySelector("[data-total-vat]").textContent = money(incl - excl);
    document.querySelector("[data-total-incl]").textContent = money(incl);
  }
  table.addEventListener("input", update);
  update();
})();
