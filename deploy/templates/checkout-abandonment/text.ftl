<#-- Plain-text part of the checkout mail; nothing here is escaped. -->
Hi ${customer.firstName!"there"},

You made it all the way to checkout, but your order didn't go through.

Everything is still there for you. When you're ready, it only takes a minute to finish:
${(page.url)!links.shop}

--
You get this e-mail because you signed up for news from ${shop.name}.
Unsubscribe: ${links.unsubscribe}
${shop.name}, ${shop.address}
