<#--
  A Nudge decision as a call to Braze's API-triggered campaigns: POST https://rest.<your-instance>.braze.com/campaigns/trigger/send
  (https://www.braze.com/docs/api/endpoints/messaging/send_messages/post_send_triggered_campaigns/).

  In deploy/nudge.properties:
    send.webhooks.braze.url=https://rest.iad-01.braze.com/campaigns/trigger/send
    send.webhooks.braze.template=deploy/webhooks/braze-campaign.ftl
    send.webhooks.braze.header.Authorization=Bearer ${BRAZE_API_KEY}
    send.campaigns.cart-abandonment.channel=webhook
    send.campaigns.cart-abandonment.webhook=braze

  Each Nudge campaign triggers one Braze API-triggered campaign, whose message Braze holds: put its campaign id below.
  Braze knows the customer by external id, which is Nudge's customer id. The decision's payload becomes the trigger
  properties, its keys in snake case (cartId -> cart_id, items) and in alphabetical order, for Liquid in the message:
  {{api_trigger_properties.${first_name}}}, {{api_trigger_properties.${items}}}.

  Every ${...} is escaped for a JSON string: write it inside quotes. ${json(x)} writes x as a JSON value.
  A revocation (kind voided) renders nothing: Braze cannot take back a triggered send, so nothing is called.
-->
<#assign brazeCampaigns = {
  "cart-abandonment": "REPLACE-WITH-BRAZE-CAMPAIGN-ID-cart-abandonment",
  "cart-abandonment-vip": "REPLACE-WITH-BRAZE-CAMPAIGN-ID-cart-abandonment-vip",
  "checkout-abandonment": "REPLACE-WITH-BRAZE-CAMPAIGN-ID-checkout-abandonment",
  "browse-abandonment": "REPLACE-WITH-BRAZE-CAMPAIGN-ID-browse-abandonment",
  "pricing-page-interest": "REPLACE-WITH-BRAZE-CAMPAIGN-ID-pricing-page-interest"
}>
<#if kind != "voided">
{
  "campaign_id": "${brazeCampaigns[campaign]}",
  "recipients": [
    {
      "external_user_id": "${customerId}",
      "trigger_properties": {
        "nudge_decision_id": "${decisionId}",
        "nudge_campaign": "${campaign}",
        "first_name": "${(recipient.firstName)!""}"<#list payload?keys?sort as key>,
        "${key?replace("([a-z0-9])([A-Z])", "$1_$2", "r")?lower_case}": ${json(payload[key])}</#list>
      }
    }
  ]
}
</#if>
