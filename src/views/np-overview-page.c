/* np-overview-page.c — the Overview page of the main window. */
#include "config.h"

#include "np-overview-page.h"

struct _NpOverviewPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (NpOverviewPage, np_overview_page, ADW_TYPE_BIN)

static void
np_overview_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), NP_TYPE_OVERVIEW_PAGE);

  G_OBJECT_CLASS (np_overview_page_parent_class)->dispose (object);
}

static void
np_overview_page_class_init (NpOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_overview_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/np-overview-page.ui");
}

static void
np_overview_page_init (NpOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
