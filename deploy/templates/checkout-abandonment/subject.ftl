<#-- Plain text, one line: line breaks and runs of spaces are collapsed when rendered. -->
<#if customer.firstName??>${customer.firstName}, your<#else>Your</#if> order is just one step away
