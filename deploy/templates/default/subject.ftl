<#-- The default mail: any campaign without templates of its own, and the fallback when a campaign's templates fail.
     It must work for every decision, so it uses nothing that may be missing without a default. -->
<#if customer.firstName??>${customer.firstName}, still<#else>Still</#if> thinking it over?
