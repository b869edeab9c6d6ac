/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-first-frame-replica.c — what the cold-start figure's 1.10x leaves room for:
 * the console's first frame (header bars, the sidebar's four pages, the Overview's
 * three headings, the chart's frame, the totals' text and period button) rebuilt
 * from stock GTK and libadwaita widgets in one GtkBuilder string, with no code,
 * data or library of the console's, at the console's size, with its first-frame
 * hook (np-instrument.h). bench-startup runs it beside the empty app: the cost of
 * showing that content at all, as information.
 */
#include <adwaita.h>

#include "np-instrument.h"

static const char *ui =
"<interface>"
" <object class='AdwApplicationWindow' id='window'>"
"  <property name='default-width'>1100</property><property name='default-height'>720</property>"
"  <property name='content'>"
"   <object class='AdwLeaflet'>"
"    <child><object class='GtkBox'><property name='orientation'>vertical</property><property name='width-request'>220</property>"
"     <child><object class='AdwHeaderBar'><property name='show-end-title-buttons'>False</property>"
"       <property name='title-widget'><object class='AdwWindowTitle'><property name='title'>Neuro-Pay</property><property name='subtitle'>Test shop · Test</property></object></property>"
"       <child type='end'><object class='GtkMenuButton'><property name='icon-name'>open-menu-symbolic</property></object></child>"
"     </object></child>"
"     <child><object class='GtkScrolledWindow'><property name='vexpand'>True</property><property name='hscrollbar-policy'>never</property>"
"      <child><object class='GtkListBox'><style><class name='navigation-sidebar'/></style>"
"       <child><object class='GtkListBoxRow'><child><object class='GtkBox'><property name='spacing'>12</property><child><object class='GtkImage'><property name='icon-name'>view-grid-symbolic</property></object></child><child><object class='GtkLabel'><property name='label'>Overview</property></object></child></object></child></object></child>"
"       <child><object class='GtkListBoxRow'><child><object class='GtkBox'><property name='spacing'>12</property><child><object class='GtkImage'><property name='icon-name'>view-list-symbolic</property></object></child><child><object class='GtkLabel'><property name='label'>Checkouts</property></object></child></object></child></object></child>"
"       <child><object class='GtkListBoxRow'><child><object class='GtkBox'><property name='spacing'>12</property><child><object class='GtkImage'><property name='icon-name'>system-users-symbolic</property></object></child><child><object class='GtkLabel'><property name='label'>Customers</property></object></child></object></child></object></child>"
"       <child><object class='GtkListBoxRow'><child><object class='GtkBox'><property name='spacing'>12</property><child><object class='GtkImage'><property name='icon-name'>document-open-recent-symbolic</property></object></child><child><object class='GtkLabel'><property name='label'>Activity</property></object></child></object></child></object></child>"
"      </object></child></object></child>"
"    </object></child>"
"    <child><object class='GtkSeparator'/></child>"
"    <child><object class='GtkBox'><property name='orientation'>vertical</property><property name='hexpand'>True</property>"
"     <child><object class='AdwHeaderBar'>"
"       <property name='title-widget'><object class='AdwWindowTitle'><property name='title'>Overview</property></object></property>"
"       <child type='end'><object class='GtkMenuButton'><property name='child'><object class='GtkBox'><property name='spacing'>6</property>"
"         <child><object class='GtkLabel'><property name='label'>Test shop</property></object></child>"
"         <child><object class='GtkLabel'><property name='label'>Test</property><style><class name='dim-label'/></style></object></child>"
"         <child><object class='GtkImage'><property name='icon-name'>pan-down-symbolic</property></object></child>"
"       </object></property></object></child>"
"     </object></child>"
"     <child><object class='GtkScrolledWindow'><property name='vexpand'>True</property><property name='hscrollbar-policy'>never</property>"
"      <child><object class='AdwClamp'><property name='maximum-size'>600</property><property name='child'>"
"       <object class='GtkBox'><property name='orientation'>vertical</property><property name='spacing'>24</property><property name='margin-top'>24</property>"
"        <child><object class='AdwPreferencesGroup'><property name='title'>Needs Attention</property></object></child>"
"        <child><object class='AdwPreferencesGroup'><property name='title'>Paid and Refunded per Day</property>"
"          <child><object class='GtkFrame'><property name='height-request'>250</property><property name='child'>"
"            <object class='GtkLabel'><property name='label'>Paid  Refunded</property><property name='valign'>start</property><property name='halign'>start</property><style><class name='caption'/></style></object>"
"          </property></object></child></object></child>"
"        <child><object class='AdwPreferencesGroup'><property name='title'>Totals</property>"
"          <child><object class='GtkBox'><property name='orientation'>vertical</property><property name='spacing'>12</property>"
"           <child><object class='GtkLabel'><property name='label'>Checkouts created in the period, by currency. Refunds count on the day their checkout was created.</property><property name='wrap'>True</property><property name='xalign'>0</property><style><class name='dim-label'/></style></object></child>"
"           <child><object class='GtkMenuButton'><property name='label'>Last 7 days</property><property name='halign'>end</property></object></child>"
"          </object></child></object></child>"
"       </object></property></object></child>"
"     </object></child>"
"    </object></child>"
"   </object>"
"  </property>"
" </object>"
"</interface>";

static void
on_activate (GApplication *application)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_string (ui, -1);
  GtkWindow *window = GTK_WINDOW (gtk_builder_get_object (builder, "window"));

  gtk_window_set_application (window, GTK_APPLICATION (application));
  gtk_window_present (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) application = adw_application_new ("com.neuropay.Console.BenchReplica",
                                                                G_APPLICATION_NON_UNIQUE);

  g_signal_connect (application, "activate", G_CALLBACK (on_activate), NULL);
  np_instrument_watch (GTK_APPLICATION (application));
  return g_application_run (G_APPLICATION (application), argc, argv);
}
