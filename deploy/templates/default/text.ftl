<#-- Plain-text part of the default mail; nothing here is escaped. Must work for every decision, as html.ftlh. -->
<#if links.cart??>
  <#assign target = links.cart, action = "Back to your cart">
<#elseif (product.url)??>
  <#assign target = product.url, action = "Take another look">
<#elseif (page.url)??>
  <#assign target = page.url, action = "Pick up where you left off">
<#else>
  <#assign target = links.shop, action = "Visit the shop">
</#if>
Hi ${customer.firstName!"there"},

Thanks for stopping by our shop. It looked like you were in the middle of something, so we thought we'd make it easy to get back to it.
<#if (cart.items)?has_content>

Still in your cart:
<#list cart.items as item>
- ${item.name!item.productId!"an item"}<#if (item.quantity!1) != 1> (${item.quantity})</#if>
</#list>
<#if (cart.moreItems!0) gt 0>
- and ${cart.moreItems} more <#if cart.moreItems == 1>item<#else>items</#if> in your cart
</#if>
<#elseif (product.name)??>

You were looking at ${product.name}.
</#if>

${action}: ${target}

--
You get this e-mail because you signed up for news from ${shop.name}.
Unsubscribe: ${links.unsubscribe}
${shop.name}, ${shop.address}
