#include <string.h>
#include <strings.h>

#include "filetype.h"
#include "utf8.h"

enum kind { PDF, DOCX, XLSX, ODT, TXT, PNG, JPG, NKINDS };

static const struct filetype types[NKINDS] = {
	[PDF] = { "pdf", "application/pdf" },
	[DOCX] = { "docx", "application/vnd.openxmlformats-officedocument."
		   "wordprocessingml.document" },
	[XLSX] = { "xlsx", "application/vnd.openxmlformats-officedocument."
		   "spreadsheetml.sheet" },
	[ODT] = { "odt", "application/vnd.oasis.opendocument.text" },
	[TXT] = { "txt", "text/plain; charset=utf-8" },
	[PNG] = { "png", "image/png" },
	[JPG] = { "jpg", "image/jpeg" },
};

/* An Office file is a ZIP whose first entries name its parts. */
#define ZIP_MAGIC "PK\003\004"
#define ODT_MIMETYPE "mimetypeapplication/vnd.oasis.opendocument.text"
/* an ODF file's first entry, stored: its name at 30, its bytes after */
#define ODT_AT 30

static int
starts(const char *data, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(data, magic, n) == 0;
}

static int
has(const char *data, size_t len, const char *what)
{
	size_t n = strlen(what), i;

	for (i = 0; i + n <= len; i++)
		if (data[i] == what[0] && memcmp(data + i, what, n) == 0)
			return 1;
	return 0;
}

/* Text a person wrote: UTF-8 without control characters but layout. */
static int
is_text(const char *data, size_t len)
{
	size_t i;

	if (!utf8_valid(data, len))
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];

		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
		     c != '\f') || c == 0x7f)
			return 0;
	}
	return 1;
}

static int
sniff(const char *data, size_t len)
{
	if (starts(data, len, "%PDF-", 5))
		return PDF;
	if (starts(data, len, "\211PNG\r\n\032\n", 8))
		return PNG;
	if (starts(data, len, "\377\330\377", 3))
		return JPG;
	if (starts(data, len, ZIP_MAGIC, 4)) {
		if (len > ODT_AT && starts(data + ODT_AT, len - ODT_AT,
					   ODT_MIMETYPE, strlen(ODT_MIMETYPE)))
			return ODT;
		if (has(data, len, "[Content_Types].xml") &&
		    has(data, len, "word/"))
			return DOCX;
		if (has(data, len, "[Content_Types].xml") &&
		    has(data, len, "xl/"))
			return XLSX;
		return -1;
	}
	return len && is_text(data, len) ? TXT : -1;
}

const struct filetype *
filetype_of(const char *name, const char *data, size_t len)
{
	const char *dot = strrchr(name, '.');
	int k = sniff(data, len);

	if (k < 0 || !dot)
		return NULL;
	dot++;
	if (strcasecmp(dot, types[k].ext) == 0 ||
	    (k == JPG && strcasecmp(dot, "jpeg") == 0))
		return &types[k];
	return NULL;
}

const char *
filetype_list(const char *lang)
{
	return lang && strcmp(lang, "en") == 0 ?
	       "PDF, Word (.docx), Excel (.xlsx), OpenDocument text (.odt), "
	       "text (.txt), PNG or JPEG" :
	       "PDF, Word (.docx), Excel (.xlsx), OpenDocument-text (.odt), "
	       "text (.txt), PNG eller JPEG";
}
