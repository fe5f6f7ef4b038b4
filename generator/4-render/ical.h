/* ical: the annual cycle as iCalendar (RFC 5545) — vuosikello.ics for the
 * whole cycle and one calendar per forum — from the model's data tree. */
#ifndef KK_ICAL_H
#define KK_ICAL_H

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

/* Escapes text for an iCalendar TEXT value (appends to out). */
void ical_escape(const char *text, buf_t *out);
/* Appends one content line, folded at 75 octets (UTF-8 safe), ending in CRLF. */
void ical_line(const char *line, buf_t *out);

#endif
