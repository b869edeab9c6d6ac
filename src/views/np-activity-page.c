/* np-activity-page.c — the Activity page of the main window. */
#include "config.h"

#include "np-activity-page.h"

struct _NpActivityPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (NpActivityPage, np_activity_page, ADW_TYPE_BIN)

static void
np_activity_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), NP_TYPE_ACTIVITY_PAGE);

  G_OBJECT_CLASS (np_activity_page_parent_class)->dispose (object);
}

static void
np_activity_page_class_init (NpActivityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_activity_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/np-activity-page.ui");
}

static void
np_activity_page_init (NpActivityPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
