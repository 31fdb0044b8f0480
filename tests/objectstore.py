"""A real S3-compatible server for the tests: moto's server mode, on a free port of this machine.

Tests talk to it over HTTP exactly as the site talks to a production object store; nothing is mocked.
"""

import dataclasses
import json
import uuid

import boto3

CREDENTIALS = {"S3_ACCESS_KEY_ID": "telecentre-test", "S3_SECRET_ACCESS_KEY": "telecentre-test-secret"}
REGION = "us-east-1"


def start_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


@dataclasses.dataclass
class Buckets:
    endpoint: str
    public: str
    private: str

    @property
    def env(self):
        """The variables that point the site at these buckets (README, Production)."""
        return {
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": REGION,
            "S3_PUBLIC_BUCKET": self.public,
            "S3_PRIVATE_BUCKET": self.private,
            **CREDENTIALS,
        }

    @property
    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=CREDENTIALS["S3_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["S3_SECRET_ACCESS_KEY"],
        )

    def keys(self, bucket):
        listing = self.client.list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, bucket, key):
        return self.client.get_object(Bucket=bucket, Key=key)["Body"].read()


def public_read_policy(bucket):
    """The policy the README asks for on the public bucket: anyone may read its objects, nothing else."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}
            ],
        }
    )


def new_buckets(endpoint):
    """A public and a private bucket of their own, so tests never see each other's files."""
    suffix = uuid.uuid4().hex[:12]
    buckets = Buckets(endpoint, f"tc-public-{suffix}", f"tc-private-{suffix}")
    for name in (buckets.public, buckets.private):
        buckets.client.create_bucket(Bucket=name)
    buckets.client.put_bucket_policy(Bucket=buckets.public, Policy=public_read_policy(buckets.public))
    return buckets
