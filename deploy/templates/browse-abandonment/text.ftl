<#-- Plain-text part of the browse mail; nothing here is escaped. -->
Hi ${customer.firstName!"there"},

We noticed you kept coming back to ${product.name!"this one"}. Good taste - here it is again, in case you'd like one more look.

${product.name!product.productId}<#if product.price??>: ${product.price?string(",##0.00")} ${product.currency}</#if>

Take another look: ${product.url!links.shop}

--
You get this e-mail because you signed up for news from ${shop.name}.
Unsubscribe: ${links.unsubscribe}
${shop.name}, ${shop.address}
