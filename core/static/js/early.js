// Loaded in <head>, before the stylesheets, without defer: it runs before the first paint. It only marks <html>,
// so that css/site.css can fold the list filters on a phone from the start (js/site.js then folds the
// <details> itself): without it, they showed open, then closed, and the results jumped up (a layout shift).
document.documentElement.classList.add("ai-js");
