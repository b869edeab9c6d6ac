/* np-customers-page.c — the Customers page of the main window. */
#include "config.h"

#include "np-customers-page.h"

struct _NpCustomersPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (NpCustomersPage, np_customers_page, ADW_TYPE_BIN)

void
np_customers_page_show_customer (NpCustomersPage *self,
                                 const char *customer_id)
{
  g_return_if_fail (NP_IS_CUSTOMERS_PAGE (self));

  /* Selecting the object arrives with the page's list. */
}

static void
np_customers_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), NP_TYPE_CUSTOMERS_PAGE);

  G_OBJECT_CLASS (np_customers_page_parent_class)->dispose (object);
}

static void
np_customers_page_class_init (NpCustomersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_customers_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/np-customers-page.ui");
}

static void
np_customers_page_init (NpCustomersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
