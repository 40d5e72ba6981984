<#-- Plain text, one line: line breaks and runs of spaces are collapsed when rendered. -->
<#if customer.firstName??>${customer.firstName}, we<#else>We</#if> saved your cart for you
