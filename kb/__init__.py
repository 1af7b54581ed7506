"""惠企政策知识库: structured policy documents, Chinese full-text search, citations."""
