package io.sipai.gateway.testing;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Test hook that kills a consumer's thread on demand, with an Error as a crashed consumer would die: {@link #PROJECTOR}
 * is consulted by a spy around the projection handler, {@link #ADMISSION} by this class as a Kafka interceptor of the
 * admission client's clients (it is a producer interceptor too, since the client's producer and consumer share one
 * configuration; as such it does nothing). Production code never configures it.
 */
public final class ConsumerDeaths implements ConsumerInterceptor<Object, Object>, ProducerInterceptor<Object, Object> {

    /** The read-model projector's fate. */
    public static final Fate PROJECTOR = new Fate("projector");
    /** The admission client's decision reader's fate. */
    public static final Fate ADMISSION = new Fate("admission reader");

    /** When a consumer dies: the next n times it gets records, or every time. */
    public static final class Fate {
        private static final int ALWAYS = Integer.MAX_VALUE;
        private final String name;
        private final AtomicInteger deathsLeft = new AtomicInteger();
        private final AtomicLong deaths = new AtomicLong();
        private final AtomicLong survived = new AtomicLong();

        private Fate(String name) {
            this.name = name;
        }

        public void dieTimes(int times) {
            deathsLeft.set(times);
        }

        public void dieAlways() {
            deathsLeft.set(ALWAYS);
        }

        public void spare() {
            deathsLeft.set(0);
        }

        /** Called where the consumer gets records: throws when it is to die. */
        public void dieIfTold() {
            if (deathsLeft.getAndUpdate(left -> left == ALWAYS || left == 0 ? left : left - 1) > 0) {
                deaths.incrementAndGet();
                throw new OutOfMemoryError("simulated death of the " + name + "'s consumer");
            }
            survived.incrementAndGet();
        }

        public long deaths() {
            return deaths.get();
        }

        /** How many times it got records and lived. */
        public long survived() {
            return survived.get();
        }
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        ADMISSION.dieIfTold();
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        // Nothing to do: only fetched records kill.
    }

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        // Nothing to do: producers are not the subject.
    }

    @Override
    public void close() {
        // Nothing to release.
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // No settings.
    }
}
