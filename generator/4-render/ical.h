/* ical: the annual cycle as iCalendar (RFC 5545) — vuosikello.ics for the
 * whole cycle and one calendar per forum — from the model's data tree. */
#ifndef KK_ICAL_H
#define KK_ICAL_H

#include <stdbool.h>

#include "../0-base/buf.h"
#include "../0-base/value.h"

/* Writes a VCALENDAR of events into out. events is a list of the model's
 * event maps (data.tapahtumat or a forum's tapahtumat): a yearly event
 * (kuukaudet: [{nro}]) becomes one all-day VEVENT per month, on the 1st of
 * that month of first_year, lasting the whole month (DTEND exclusive: the
 * 1st of the next month) with RRULE:FREQ=YEARLY; a one-off event (alku,
 * loppu: YYYY, YYYY-MM or YYYY-MM-DD) becomes an all-day VEVENT over its
 * span (a year or month without a day covers the whole year or month).
 * UIDs are stable, derived from the event id (and month): "<id>-<m>@<domain>".
 * SUMMARY is the event's nimi, DESCRIPTION its kuvaus plus the forum and the
 * responsible party's names, URL the forum's page (base_url + url) when it has
 * one. Text is escaped (\\ ; , and newlines), lines end in CRLF and are folded
 * at 75 octets without splitting a UTF-8 character. calname names the
 * calendar (X-WR-CALNAME); stamp is the DTSTAMP ("20260101T000000Z"). */
void ical_calendar(const val *events, const char *calname, const char *base_url, const char *domain,
                   int first_year, const char *stamp, buf_t *out);

/* A calendar in one language of a site with several. */
typedef struct {
    const char *lang;     /* the calendar's language ("sv") */
    const char *fallback; /* the default language ("fi"), whose text stands in for a missing one */
    const char *forum;    /* "Forum", "Ansvar": the labels of the description in lang */
    const char *owner;
    /* Whether the page at url ("sv/…/") exists: a forum's URL is then its page in lang
     * (base_url + "sv/" + url), else the default language's. NULL: never. */
    bool (*has_page)(void *ud, const char *url);
    void *ud;
} ical_lang;

/* The same as ical_calendar in language l (NULL: as ical_calendar): SUMMARY
 * and DESCRIPTION from the events' texts in l->lang (the model's
 * <field>_kielet), each with the parameter LANGUAGE (RFC 5545 3.2.10):
 * l->lang, or l->fallback for a text that has no version in l->lang and is
 * given in the default language. The description's language is its kuvaus's
 * (the names' when it has none). UIDs are the default calendar's: the same
 * event in another language. */
void ical_calendar_lang(const val *events, const char *calname, const char *base_url, const char *domain,
                        int first_year, const char *stamp, const ical_lang *l, buf_t *out);

/* Escapes text for an iCalendar TEXT value (appends to out). */
void ical_escape(const char *text, buf_t *out);
/* Appends one content line, folded at 75 octets (UTF-8 safe), ending in CRLF. */
void ical_line(const char *line, buf_t *out);

#endif
