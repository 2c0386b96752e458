"""Upload size limits enforced before anything big reaches the disk.

Two guards, both derived from settings.OCOP_MAX_UPLOAD_BYTES (one file) and OCOP_MAX_REQUEST_BYTES (one
request: the files a form accepts, its other fields and the multipart framing):

- UploadLimitMiddleware refuses a request whose Content-Length exceeds the request cap before its body is
  read (413), and a request body sent without a Content-Length (411): Django reads no more than the declared
  length, so the declared length is what must be checked.
- UploadLimitHandler, the first of FILE_UPLOAD_HANDLERS, counts the bytes as they stream in. A file that
  grows past OCOP_MAX_UPLOAD_BYTES is skipped at once (the temporary file handler never sees the rest, and
  the part written so far is deleted); files together passing the request cap stop the upload. Whatever a
  client claims, no more than one file's limit is written per file.

A skipped file is refused with the 413 page, unless the view is marked with `handles_oversized_uploads`
and tells the user itself (the dossier page shows the error beside the form and keeps what was typed).
"""
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

BODY_METHODS = {"POST", "PUT", "PATCH"}


@dataclass(frozen=True)
class OversizedUpload:
    field_name: str
    file_name: str


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def oversized_uploads(request, field_name: str | None = None) -> list[OversizedUpload]:
    """The files of this request skipped for passing OCOP_MAX_UPLOAD_BYTES (of one field, when given)."""
    refused = getattr(request, "oversized_uploads", [])
    return [item for item in refused if field_name is None or item.field_name == field_name]


def oversized_upload_message(upload: OversizedUpload) -> str:
    return _("Tệp %(name)s vượt quá dung lượng tối đa %(limit)s MB nên không được lưu.") % {
        "name": upload.file_name, "limit": _mb(settings.OCOP_MAX_UPLOAD_BYTES),
    }


def handles_oversized_uploads(view):
    """Mark a view that reports skipped files itself (see oversized_uploads) instead of the 413 page."""
    view.handles_oversized_uploads = True
    return view


# Opened in the browser's own viewer rather than downloaded: PDFs and raster images (checked by content at
# upload, see registrations.services.ALLOWED_TYPES). Office files and anything else are downloaded.
VIEWABLE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp"}


def stored_file_response(file, *, filename: str, content_type: str) -> FileResponse:
    """A stored upload for a signed-in user: PDFs and images inline (viewable in the browser), the rest as a
    download; never sniffed, never cached. The portal's Content-Security-Policy still applies."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=content_type not in VIEWABLE_TYPES, filename=filename,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def redirect_after_upload(request, url: str):
    """A form posted by static/js/forms.js to show upload progress (header `X-Upload-Progress: 1`) is told
    where to go next as JSON, so the flash message waits for the page the browser then opens; a plain post
    is redirected."""
    if request.headers.get("X-Upload-Progress") == "1":
        return JsonResponse({"location": url})
    return redirect(url)


class UploadLimitHandler(FileUploadHandler):
    """Counts every file's bytes as they arrive; skips a file past its limit, stops a request past the cap."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_bytes = 0
        self.request.oversized_uploads = []
        self.request.upload_limit_exceeded = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file_bytes = 0

    def receive_data_chunk(self, raw_data, start):
        self.file_bytes += len(raw_data)
        self.request_bytes += len(raw_data)
        if self.request_bytes > settings.OCOP_MAX_REQUEST_BYTES:
            self.request.upload_limit_exceeded = True
            raise StopUpload(connection_reset=True)
        if self.file_bytes > settings.OCOP_MAX_UPLOAD_BYTES:
            self.request.oversized_uploads.append(OversizedUpload(self.field_name, self.file_name))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the uploaded file


def _refused(request, status: int, heading: str, message: str):
    # The body is left unread; the WSGI server drains or drops it (an application may not send Connection).
    return render(request, "upload_refused.html", {"heading": heading, "message": message}, status=status)


def _too_large(request):
    return _refused(
        request, 413, _("Dữ liệu gửi lên quá lớn"),
        _("Mỗi tệp tải lên tối đa %(file)s MB, cả lần gửi tối đa %(request)s MB. Tệp chưa được lưu: hãy "
          "quay lại, chọn tệp nhỏ hơn (nén hoặc chia nhỏ) rồi gửi lại.") % {
            "file": _mb(settings.OCOP_MAX_UPLOAD_BYTES), "request": _mb(settings.OCOP_MAX_REQUEST_BYTES),
        },
    )


class UploadLimitMiddleware:
    """Refuses oversized request bodies before reading them (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in BODY_METHODS:
            declared = request.META.get("CONTENT_LENGTH") or ""
            if not declared.strip() and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
                return _refused(
                    request, 411, _("Thiếu độ dài dữ liệu gửi lên"),
                    _("Máy chủ chỉ nhận dữ liệu gửi lên có khai báo độ dài (Content-Length). Hãy gửi lại từ trình duyệt."),
                )
            try:
                length = int(declared or 0)
            except ValueError:
                length = 0
            if length > settings.OCOP_MAX_REQUEST_BYTES:
                return _too_large(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in BODY_METHODS or not request.content_type == "multipart/form-data":
            return None
        request.POST  # noqa: B018 — parse now (CSRF usually has), so the handler's verdict is known
        if getattr(request, "upload_limit_exceeded", False):
            return _too_large(request)
        if oversized_uploads(request) and not getattr(view_func, "handles_oversized_uploads", False):
            return _too_large(request)
        return None
