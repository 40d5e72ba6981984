<#-- Plain-text part of the pricing mail; nothing here is escaped. -->
Hi ${customer.firstName!"there"},

You've just been comparing our prices - picking the right option can take a moment.

Everything is laid out side by side on our pricing page, so you can pick up right where you left off:
${(page.url)!links.shop}

--
You get this e-mail because you signed up for news from ${shop.name}.
Unsubscribe: ${links.unsubscribe}
${shop.name}, ${shop.address}
