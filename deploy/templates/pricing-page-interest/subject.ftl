<#-- Plain text, one line: line breaks and runs of spaces are collapsed when rendered. -->
<#if customer.firstName??>${customer.firstName}, any<#else>Any</#if> questions about our prices?
