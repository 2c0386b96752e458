// Long forms that never lose work (progressive enhancement: without JavaScript the forms post as usual).
// - form[data-autosave]: while the user types, the form is posted with the header "X-Autosave: 1"; the
//   server keeps it as the user's draft (accounts/drafts.py) and answers with a message for
//   [data-autosave-status]. Files are never autosaved.
// - form[data-warn-unsaved]: leaving the page while a change is not yet saved asks first (beforeunload).
// - form[data-upload-progress]: a post that carries files is sent with XMLHttpRequest, showing its
//   progress in [data-upload-progress-box]; every button of the form is disabled until the upload ends.
// Listeners are delegated from document, so a body swapped in after an upload error works the same.
(function () {
  "use strict";

  var AUTOSAVE_DELAY_MS = 1500;
  var timers = new WeakMap();
  function texts() { return document.body.dataset; }  // the page's texts in its language (base.html)

  function formUrl(form) {
    // not form.action: a button named "action" shadows it
    return form.getAttribute("action") || window.location.href;
  }

  function statusOf(form) {
    return form.querySelector("[data-autosave-status]");
  }

  function say(form, text) {
    var status = statusOf(form);
    if (status && text) { status.textContent = text; }
  }

  function withoutFiles(form) {
    var data = new FormData(form);
    form.querySelectorAll("input[type=file][name]").forEach(function (input) { data.delete(input.name); });
    return data;
  }

  function autosave(form) {
    timers.delete(form);
    var change = form.dataset.changeCount;
    say(form, texts().textSaving);
    fetch(formUrl(form), {
      method: "POST", body: withoutFiles(form), credentials: "same-origin",
      headers: {"X-Autosave": "1", "Accept": "application/json"},
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) { throw new Error(body.message || response.status); }
        return body;
      });
    }).then(function (body) {
      if (form.dataset.changeCount === change) { delete form.dataset.dirty; }
      form.dataset.autosavedAt = body.saved_at;
      say(form, body.message);
    }).catch(function () {
      say(form, texts().textAutosaveFailed);
    });
  }

  function changed(event) {
    var form = event.target.form;
    if (!form || event.target.type === "file") { return; }
    if (form.matches("[data-warn-unsaved], [data-autosave]")) {
      form.dataset.dirty = "1";
      form.dataset.changeCount = String(Number(form.dataset.changeCount || 0) + 1);
    }
    if (form.matches("[data-autosave]")) {
      say(form, texts().textUnsaved);
      clearTimeout(timers.get(form));
      timers.set(form, setTimeout(autosave, AUTOSAVE_DELAY_MS, form));
    }
  }
  document.addEventListener("input", changed);
  document.addEventListener("change", changed);

  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form[data-warn-unsaved][data-dirty]:not([data-submitting])")) {
      event.preventDefault();
      event.returnValue = "";  // older browsers need a value to ask
    }
  });

  function setBusy(form, busy) {
    form.setAttribute("aria-busy", busy ? "true" : "false");
    form.querySelectorAll("button, input[type=submit]").forEach(function (button) { button.disabled = busy; });
  }

  function showPage(html) {
    // An error page (the form with its messages): swap its body in; the URL stays the form's.
    var doc = new DOMParser().parseFromString(html, "text/html");
    document.title = doc.title;
    document.body.replaceWith(document.adoptNode(doc.body));
  }

  function upload(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var box = form.querySelector("[data-upload-progress-box]");
    var bar = box && box.querySelector("progress");
    var percent = box && box.querySelector("[data-upload-percent]");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", formUrl(form));
    xhr.setRequestHeader("X-Upload-Progress", "1");
    xhr.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable || !bar) { return; }
      var value = Math.round(100 * event.loaded / event.total);
      bar.value = value;
      if (percent) { percent.textContent = value + "%"; }
    });
    xhr.addEventListener("load", function () {
      var location = null;
      if (xhr.status === 200 && (xhr.getResponseHeader("Content-Type") || "").indexOf("application/json") === 0) {
        location = JSON.parse(xhr.responseText).location;
      }
      if (location) {
        form.dataset.submitting = "1";
        window.location.assign(location);
      } else {
        delete form.dataset.submitting;
        showPage(xhr.responseText);
      }
    });
    xhr.addEventListener("error", function () {
      delete form.dataset.submitting;
      setBusy(form, false);
      if (box) { box.hidden = true; }
      say(form, texts().textUploadFailed);
    });
    form.dataset.submitting = "1";
    setBusy(form, true);
    if (box) { box.hidden = false; }
    if (bar) { bar.value = 0; }
    xhr.send(data);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    clearTimeout(timers.get(form));
    var hasFiles = Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
      return input.files && input.files.length > 0;
    });
    if (form.matches("[data-upload-progress]") && hasFiles && window.FormData && window.XMLHttpRequest) {
      event.preventDefault();
      upload(form, event.submitter);
      return;
    }
    form.dataset.submitting = "1";
  });
}());
