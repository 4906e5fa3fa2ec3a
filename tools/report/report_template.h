/* The report page's template, compiled into gw-report (embed.cmake makes
 * report_template.c from report.html, report.css and report.js). */
#ifndef GW_REPORT_TEMPLATE_H
#define GW_REPORT_TEMPLATE_H

/* The page, with the lines @CSS@, @JS@ and @DATA@ where the style, the
 * script and the data go. */
extern const char gw_report_template_html[];
extern const char gw_report_template_css[];
extern const char gw_report_template_js[];

#endif
