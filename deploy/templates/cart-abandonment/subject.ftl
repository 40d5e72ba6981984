<#-- Plain text, one line: line breaks and runs of spaces are collapsed when rendered. -->
<#if customer.firstName??>${customer.firstName}, your<#else>Your</#if> cart is waiting for you
