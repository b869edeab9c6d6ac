/* np-checkouts-page.c — the Checkouts page of the main window. */
#include "config.h"

#include "np-checkouts-page.h"

struct _NpCheckoutsPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (NpCheckoutsPage, np_checkouts_page, ADW_TYPE_BIN)

void
np_checkouts_page_show_checkout (NpCheckoutsPage *self,
                                 const char *checkout_id)
{
  g_return_if_fail (NP_IS_CHECKOUTS_PAGE (self));

  /* Selecting the object arrives with the page's list. */
}

void
np_checkouts_page_new_checkout (NpCheckoutsPage *self,
                                const char *customer_id,
                                const char *card_id)
{
  g_return_if_fail (NP_IS_CHECKOUTS_PAGE (self));

  /* Selecting the object arrives with the page's list. */
}

static void
np_checkouts_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), NP_TYPE_CHECKOUTS_PAGE);

  G_OBJECT_CLASS (np_checkouts_page_parent_class)->dispose (object);
}

static void
np_checkouts_page_class_init (NpCheckoutsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_checkouts_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/np-checkouts-page.ui");
}

static void
np_checkouts_page_init (NpCheckoutsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
