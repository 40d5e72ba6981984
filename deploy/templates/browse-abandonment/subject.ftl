<#-- Plain text, one line: line breaks and runs of spaces are collapsed when rendered. -->
<#if product.name??>${product.name} – still on your mind?<#else>Still thinking it over?</#if>
