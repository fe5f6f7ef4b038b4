/* wheel: the annual cycle (vuosikello) as our own SVG wheel, the council-term
 * timeline, and their text equivalents — drawn from the model's data tree. */
#ifndef KK_WHEEL_H
#define KK_WHEEL_H

#include "../0-base/buf.h"
#include "../0-base/value.h"
#include "../2-model/i18n.h"
#include "textm.h"

/* Draws data.tapahtumat as a wheel: twelve month sectors (tammikuu at the
 * top, clockwise), one ring per category (the level of the event's forum,
 * taso_nimi; "Muut" for events without a forum), each event a labelled
 * mark on its months linking to its forum's page (root + url), a legend,
 * and a "today" marker on today_month when it is 1–12 (0: none).
 * Names are measured with tm (NULL: estimated) and never cut: a name that
 * fits its arc neither on one line nor on two gets a key number there and
 * an item <li value="N"> in the numbered list <ol class="vk-avaimet"> that is
 * appended to keys (nothing when every name fits), to be shown beside the
 * SVG. Every event keeps its full name, ring and months in its <title>.
 * The SVG is embeddable: id-prefixed ids, role="group" (it has links),
 * <title>/<desc> with aria-labelledby. Appends to svg. */
void wheel_svg(const val *data, const i18n *tx, const char *id, const char *title, const char *root,
               int today_month, const textm *tm, buf_t *svg, buf_t *keys);

/* The wheel's text equivalent: a month-by-month HTML table (caption, th
 * scope) of the same events and categories. dflt: the default language's
 * code when tx is another language's catalog (a name without a text in
 * tx's language is shown in the default's, marked lang="<dflt>"), else NULL.
 * Appends to html. */
void wheel_table(const val *data, const i18n *tx, const char *dflt, const char *root, buf_t *html);

/* data.virstanpylvaat on a horizontal timeline of years (the span of all
 * milestones), spans as bars and single dates as marks; embeddable as above.
 * Names are measured with tm (NULL: estimated), never cut, wrapped onto more
 * lines when wider than the timeline. */
void timeline_svg(const val *data, const i18n *tx, const char *id, const char *title, const textm *tm, buf_t *svg);
/* Its text equivalent: an ordered list by start. */
void timeline_list(const val *data, buf_t *html);
/* The same with the milestones' texts in language lang (NULL: the default's; loc.h). */
void timeline_list_in(const val *data, const char *lang, buf_t *html);

#endif
