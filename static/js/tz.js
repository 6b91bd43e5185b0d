// tz.js: the time picker's optional helper (templates/slot_week.html).  The
// page works without it.  (1) A page that named no time zone shows the
// expert's; when the browser's zone differs and the page offers it, load
// the page again once with ?tz=<zone> (a URL with tz is never reloaded,
// so there is no loop).  (2) The summary's time follows the start chosen.
(function () {
	'use strict';

	var sel = document.getElementById('tz');
	if (sel && sel.hasAttribute('data-tz-guess') && window.URL && window.Intl) {
		var url = new URL(window.location.href);
		var zone = '';
		try {
			zone = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
		} catch (e) {
			zone = '';
		}
		var offered = Array.prototype.some.call(sel.options, function (o) {
			return o.value === zone;
		});
		if (!url.searchParams.has('tz') && zone !== '' && zone !== sel.value && offered) {
			url.searchParams.set('tz', zone);
			url.hash = 'times';
			window.location.replace(url.href);
			return;
		}
	}

	var out = document.getElementById('summary-time');
	if (!out) return;
	document.addEventListener('change', function (ev) {
		var t = ev.target;
		if (!t || t.name !== 'start' || t.type !== 'radio' || !t.checked) return;
		var day = t.closest('fieldset');
		var legend = day && day.querySelector('legend');
		var label = t.closest('label');
		if (!legend || !label) return;
		out.textContent = legend.textContent.replace(/\s+/g, ' ').trim() + ', ' +
			label.textContent.replace(/\s+/g, ' ').trim();
	});
}());
