<#-- Plain-text part of the cart mail; nothing here is escaped. -->
<#assign money = ",##0.00">
Hi ${customer.firstName!"there"},

You left <#if cart.itemCount == 1>something<#else>a few things</#if> in your cart. We've kept it safe for you - here's what's waiting:

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
