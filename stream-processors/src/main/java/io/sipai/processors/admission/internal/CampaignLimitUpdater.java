package io.sipai.processors.admission.internal;

import io.sipai.config.CampaignConfig;
import io.sipai.schemas.Topics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global {@code admission-campaign-limits} store (campaignId -> maxConcurrency) in step with compacted
 * {@code campaign.config.v1}. A campaign without its own limit, deleted, or tombstoned has no entry, so the default
 * {@code TELEPHONY_PER_CAMPAIGN_MAX_CONCURRENCY} applies. Records of one campaign arrive in
 * the order api-gateway wrote them (one key, one partition), so the last one wins.
 */
public final class CampaignLimitUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignLimitUpdater.class);

    private KeyValueStore<String, Integer> limits;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        limits = context.getStateStore(AdmissionTopology.CAMPAIGN_LIMITS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            limits.delete(record.key());
            return;
        }
        CampaignConfig config;
        try {
            config = Topics.CAMPAIGN_CONFIG.valueSerde().deserializer().deserialize(Topics.CAMPAIGN_CONFIG.name(),
                    record.value());
        } catch (RuntimeException e) {
            LOG.warn("ignoring undecodable campaign config for {}: {}", record.key(), e.getMessage());
            return;
        }
        if (config.getDeleted() || config.getMaxConcurrency() == null || config.getMaxConcurrency() < 1) {
            limits.delete(record.key());
        } else {
            limits.put(record.key(), config.getMaxConcurrency());
        }
    }
}
