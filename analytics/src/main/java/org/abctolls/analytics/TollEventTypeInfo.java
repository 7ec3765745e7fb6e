package org.abctolls.analytics;

import org.abctolls.domain.TollEvent;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * {@link TollEvent}'s type for Flink: serialized by {@link TollEventSerializer}. The domain
 * module carries no Flink annotation, so the topology names this type wherever it makes a
 * stream or side output of passages.
 */
public final class TollEventTypeInfo extends TypeInformation<TollEvent> {
    private static final long serialVersionUID = 1L;

    public static final TollEventTypeInfo INSTANCE = new TollEventTypeInfo();

    private TollEventTypeInfo() {}

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<TollEvent> getTypeClass() {
        return TollEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<TollEvent> createSerializer(SerializerConfig config) {
        return TollEventSerializer.INSTANCE;
    }

    @Override
    @Deprecated
    public TypeSerializer<TollEvent> createSerializer(ExecutionConfig config) {
        return TollEventSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "TollEventTypeInfo";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TollEventTypeInfo;
    }

    @Override
    public int hashCode() {
        return TollEventTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof TollEventTypeInfo;
    }
}
