// Marks the page as scripted, so the phone menu (which needs USWDS's JavaScript) replaces the plain link list.
document.documentElement.classList.add("so-js");
