/* The mobile count page: read an asset's QR label in the browser (jsQR) from a photo taken with
   the phone camera (<input capture>) or from the live camera, and put its code in the form.
   The server records it (another unit's asset is refused there). No network call here. */
(function () {
  "use strict";
  var box = document.getElementById("scanner");
  var form = document.getElementById("scan-form");
  if (!box || !form || typeof window.jsQR !== "function") {
    return;
  }
  var fileInput = document.getElementById("scan-file");
  var cameraButton = document.getElementById("scan-camera");
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  var codeInput = document.getElementById("scan-code");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;

  function say(text) {
    status.textContent = text;
  }

  /* The label's QR holds the scan page's address (…/procurement/scan/<code>/); a bare code is
     accepted too. Anything else is not one of our labels. */
  function codeOf(text) {
    var match = /\/procurement\/scan\/([^/?#]{1,40})\/?(?:[?#]|$)/.exec(text);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    var bare = text.trim();
    return /^[^\s:/?#]{1,40}$/.test(bare) ? bare : "";
  }

  function decode(source, width, height) {
    var scale = Math.min(1, 1600 / Math.max(width, height));
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    var image = context.getImageData(0, 0, canvas.width, canvas.height);
    var hit = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" });
    return hit ? hit.data : null;
  }

  function found(text) {
    var code = codeOf(text);
    if (!code) {
      say(box.dataset.notLabel);
      return false;
    }
    codeInput.value = code;
    codeInput.dataset.scanned = "yes";
    say(box.dataset.found + " " + code);
    document.getElementById("scan-condition").focus();
    return true;
  }

  fileInput.addEventListener("change", function () {
    var file = fileInput.files && fileInput.files[0];
    if (!file) {
      return;
    }
    say(box.dataset.reading);
    window
      .createImageBitmap(file)
      .then(function (bitmap) {
        var text = decode(bitmap, bitmap.width, bitmap.height);
        bitmap.close();
        if (text === null) {
          say(box.dataset.noQr);
        } else {
          found(text);
        }
      })
      .catch(function () {
        say(box.dataset.noQr);
      });
  });

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
      stream = null;
    }
    video.hidden = true;
  }

  function watch() {
    if (!stream) {
      return;
    }
    if (video.readyState >= 2 && video.videoWidth > 0) {
      var text = decode(video, video.videoWidth, video.videoHeight);
      if (text !== null && found(text)) {
        stop();
        return;
      }
    }
    window.requestAnimationFrame(watch);
  }

  if (navigator.mediaDevices && typeof navigator.mediaDevices.getUserMedia === "function") {
    cameraButton.hidden = false;
    cameraButton.addEventListener("click", function () {
      if (stream) {
        stop();
        return;
      }
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          return video.play();
        })
        .then(function () {
          window.requestAnimationFrame(watch);
        })
        .catch(function () {
          stop();
          say(box.dataset.cameraRefused);
        });
    });
  }
  window.addEventListener("pagehide", stop);
})();
