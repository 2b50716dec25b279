// Run first in the body, before it is drawn: tells the design system's styles that scripts run here.
// A file of its own, not inline, so that the Content-Security-Policy can refuse every inline script.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');
