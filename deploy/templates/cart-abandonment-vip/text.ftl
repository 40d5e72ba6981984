<#-- Plain-text part of the VIP cart mail; nothing here is escaped. -->
<#assign money = ",##0.00">
Hi ${customer.firstName!"there"},

Thank you for being one of our most valued customers. We noticed you didn't get to finish your order, so we've kept everything just as you left it:

<#list cart.items as item>
- ${item.name!item.productId}, quantity ${item.quantity}<#if item.lineTotal??>: ${item.lineTotal?string(money)} ${item.currency}</#if>
</#list>
<#if (cart.moreItems!0) gt 0>
- and ${cart.moreItems} more <#if cart.moreItems == 1>item<#else>items</#if> in your cart
</#if>
<#if cart.total??>

Total: ${cart.total?string(money)} ${cart.currency}
</#if>

Back to your cart: ${links.cart!links.shop}

--
You get this e-mail because you signed up for news from ${shop.name}.
Unsubscribe: ${links.unsubscribe}
${shop.name}, ${shop.address}
