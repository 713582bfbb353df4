// Command s3server serves an S3-compatible API on 127.0.0.1 for development and tests:
// gofakes3 with its directory backend (objects are plain files under -data, so they survive
// restarts). Multipart uploads in progress are kept in memory by gofakes3 and do not survive a
// restart of this process (see docs/decisions/003-s3-test-server.md).
//
// Built and started by scripts/s3server.mjs. Prints one line "s3server ready http://127.0.0.1:<port>
// bucket=<name>" on stdout once it accepts connections.
package main

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3afero"
)

func main() {
	port := flag.Int("port", 0, "TCP port on 127.0.0.1 (0 picks a free one)")
	dataDir := flag.String("data", "", "directory holding buckets and object metadata (created if missing)")
	bucket := flag.String("bucket", "borikan-dev", "bucket created at start if missing")
	exitOnStdinEOF := flag.Bool("exit-on-stdin-eof", false, "exit when stdin closes, so the server dies with the process that started it")
	verbose := flag.Bool("v", false, "log every request")
	flag.Parse()
	if *dataDir == "" {
		log.Fatal("-data is required")
	}

	baseFs, err := s3afero.FsPath(*dataDir, s3afero.FsPathCreateAll)
	if err != nil {
		log.Fatal(err)
	}
	directory, err := s3afero.MultiBucket(baseFs)
	if err != nil {
		log.Fatal(err)
	}
	backend := spoolingBackend{directory}
	if err := backend.CreateBucket(*bucket); err != nil && !gofakes3.IsAlreadyExists(err) {
		log.Fatal(err)
	}
	options := []gofakes3.Option{}
	if *verbose {
		options = append(options, gofakes3.WithLogger(gofakes3.GlobalLog()))
	}
	faker := gofakes3.New(backend, options...)
	var handler http.Handler = normalizeRequests(faker.Server())
	if *verbose {
		inner := handler
		handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			log.Printf("%s %s %v", r.Method, r.URL, r.Header)
			inner.ServeHTTP(w, r)
		})
	}

	// Loopback only, whatever the caller asks for.
	listener, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)))
	if err != nil {
		log.Fatal(err)
	}
	server := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := server.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Fatal(err)
		}
	}()
	fmt.Printf("s3server ready http://%s bucket=%s\n", listener.Addr(), *bucket)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	if *exitOnStdinEOF {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop <- syscall.SIGTERM
		}()
	}
	<-stop
	_ = server.Close()
}

// spoolingBackend makes PutObject all-or-nothing. The directory backend writes the body straight
// into the object's file, so a body that fails half-way (client gone, BadDigest, short body) would
// leave a truncated object where S3 keeps the previous one. Bodies are first copied to a temporary
// file and handed over only when complete. Completed multipart uploads arrive as an in-memory
// *bytes.Reader, which cannot fail, and skip the copy.
type spoolingBackend struct {
	*s3afero.MultiBucketBackend
}

func (b spoolingBackend) PutObject(
	bucket, key string, meta map[string]string, input io.Reader, size int64, conditions *gofakes3.PutConditions,
) (gofakes3.PutObjectResult, error) {
	if _, inMemory := input.(*bytes.Reader); inMemory {
		return b.MultiBucketBackend.PutObject(bucket, key, meta, input, size, conditions)
	}
	spool, err := os.CreateTemp("", "s3server-put-")
	if err != nil {
		return gofakes3.PutObjectResult{}, err
	}
	defer os.Remove(spool.Name())
	defer spool.Close()
	written, err := io.Copy(spool, input)
	if err != nil {
		return gofakes3.PutObjectResult{}, err
	}
	if written != size {
		return gofakes3.PutObjectResult{}, gofakes3.ErrIncompleteBody
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return gofakes3.PutObjectResult{}, err
	}
	return b.MultiBucketBackend.PutObject(bucket, key, meta, spool, size, conditions)
}

// normalizeRequests makes requests of current AWS SDKs digestible for gofakes3 v1.2.0:
//   - Bodies sent with `Content-Encoding: aws-chunked` (the SDKs' default for streamed bodies, with a
//     trailing checksum) are decoded here. gofakes3 only knows the signed-chunk variant, on PutObject;
//     on UploadPart it answers MissingContentLength (or would store the chunk framing as data).
//   - Flexible checksums (`x-amz-checksum-<algorithm>`, as header or trailer) are verified, and a
//     mismatch answers BadDigest, as S3 does.
//   - Transport and signing headers are removed, because gofakes3 stores every `X-Amz-*` request
//     header as object metadata and replays it on GET: a stored whole-object checksum would make
//     SDKs reject ranged reads.
func normalizeRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunked := strings.HasPrefix(r.Header.Get("X-Amz-Content-Sha256"), "STREAMING-") ||
			strings.Contains(r.Header.Get("Content-Encoding"), "aws-chunked")
		if chunked {
			decodedLength, err := strconv.ParseInt(r.Header.Get("X-Amz-Decoded-Content-Length"), 10, 64)
			if err != nil || decodedLength < 0 {
				http.Error(w, "aws-chunked body without a valid x-amz-decoded-content-length", http.StatusBadRequest)
				return
			}
			// The trailer's name is announced up front, so only that one checksum is computed.
			algorithm, _ := strings.CutPrefix(strings.ToLower(r.Header.Get("X-Amz-Trailer")), "x-amz-checksum-")
			r.Body = &awsChunkedReader{body: r.Body, in: bufio.NewReader(r.Body), left: decodedLength, algorithm: algorithm, sum: newChecksum(algorithm)}
			r.ContentLength = decodedLength
			r.TransferEncoding = nil
			r.Header.Set("Content-Length", strconv.FormatInt(decodedLength, 10))
			setContentEncodingWithoutAwsChunked(r.Header)
		} else if algorithm, expected := headerChecksum(r.Header); algorithm != "" {
			r.Body = &checksumReader{body: r.Body, algorithm: algorithm, sum: newChecksum(algorithm), expected: expected}
		}
		for name := range r.Header {
			lower := strings.ToLower(name)
			if lower == "x-amz-content-sha256" || lower == "x-amz-decoded-content-length" || lower == "x-amz-trailer" ||
				lower == "x-amz-user-agent" || lower == "x-amz-sdk-checksum-algorithm" || lower == "x-amz-security-token" ||
				strings.HasPrefix(lower, "x-amz-checksum-") {
				r.Header.Del(name)
			}
		}
		next.ServeHTTP(w, r)
	})
}

func setContentEncodingWithoutAwsChunked(header http.Header) {
	var kept []string
	for _, encoding := range strings.Split(header.Get("Content-Encoding"), ",") {
		if encoding = strings.TrimSpace(encoding); encoding != "" && encoding != "aws-chunked" {
			kept = append(kept, encoding)
		}
	}
	if len(kept) == 0 {
		header.Del("Content-Encoding")
	} else {
		header.Set("Content-Encoding", strings.Join(kept, ","))
	}
}

// crc64NVME is CRC-64/NVME (the reflected form of polynomial 0xad93d23594c93659), the newest S3 default.
var crc64NVME = crc64.MakeTable(0x9a6c9329ac4bc9b5)

func newChecksum(algorithm string) hash.Hash {
	switch algorithm {
	case "crc32":
		return crc32.NewIEEE()
	case "crc32c":
		return crc32.New(crc32.MakeTable(crc32.Castagnoli))
	case "crc64nvme":
		return crc64.New(crc64NVME)
	case "sha1":
		return sha1.New()
	case "sha256":
		return sha256.New()
	}
	return nil
}

func headerChecksum(header http.Header) (algorithm, expected string) {
	for _, candidate := range []string{"crc32", "crc32c", "crc64nvme", "sha1", "sha256"} {
		if value := header.Get("X-Amz-Checksum-" + candidate); value != "" {
			return candidate, value
		}
	}
	return "", ""
}

func badDigest(algorithm string) error {
	return gofakes3.ErrorMessagef(gofakes3.ErrBadDigest, "the %s checksum of the body does not match", algorithm)
}

// checksumReader passes a body through and fails at its end when the checksum differs.
type checksumReader struct {
	body      io.ReadCloser
	algorithm string
	sum       hash.Hash
	expected  string
}

func (c *checksumReader) Read(p []byte) (int, error) {
	n, err := c.body.Read(p)
	c.sum.Write(p[:n])
	if errors.Is(err, io.EOF) && base64.StdEncoding.EncodeToString(c.sum.Sum(nil)) != c.expected {
		return n, badDigest(c.algorithm)
	}
	return n, err
}

func (c *checksumReader) Close() error { return c.body.Close() }

// awsChunkedReader decodes `aws-chunked` bodies: "<hex size>[;chunk-signature=…]\r\n<data>\r\n" repeated,
// then "0[;…]\r\n", optional trailer lines "name:value\r\n" and a final "\r\n". A checksum trailer is
// verified; chunk signatures are not (gofakes3 does not check signatures at all).
type awsChunkedReader struct {
	body      io.ReadCloser
	in        *bufio.Reader
	left      int64 // decoded bytes still expected, from x-amz-decoded-content-length
	chunkLeft int64
	algorithm string    // announced by x-amz-trailer; "" when there is none
	sum       hash.Hash // nil when there is no checksum trailer or its algorithm is unknown
	done      bool
}

func (c *awsChunkedReader) Close() error { return c.body.Close() }

func (c *awsChunkedReader) Read(p []byte) (int, error) {
	if c.done {
		return 0, io.EOF
	}
	if c.chunkLeft == 0 {
		line, err := c.readLine()
		if err != nil {
			return 0, err
		}
		sizeText, _, _ := strings.Cut(line, ";")
		size, err := strconv.ParseInt(strings.TrimSpace(sizeText), 16, 64)
		if err != nil || size < 0 {
			return 0, gofakes3.ErrorMessagef(gofakes3.ErrIncompleteBody, "bad aws-chunked chunk header %q", line)
		}
		if size == 0 {
			c.done = true
			if c.left != 0 {
				return 0, gofakes3.ErrIncompleteBody
			}
			return 0, c.readTrailers()
		}
		if size > c.left {
			return 0, gofakes3.ErrorMessagef(gofakes3.ErrIncompleteBody, "aws-chunked body longer than x-amz-decoded-content-length")
		}
		c.chunkLeft = size
	}
	if int64(len(p)) > c.chunkLeft {
		p = p[:c.chunkLeft]
	}
	n, err := c.in.Read(p)
	if c.sum != nil {
		c.sum.Write(p[:n])
	}
	c.chunkLeft -= int64(n)
	c.left -= int64(n)
	if errors.Is(err, io.EOF) {
		return n, io.ErrUnexpectedEOF
	}
	if err != nil {
		return n, err
	}
	if c.chunkLeft == 0 {
		if line, err := c.readLine(); err != nil || line != "" {
			return n, gofakes3.ErrorMessagef(gofakes3.ErrIncompleteBody, "aws-chunked chunk not followed by CRLF")
		}
	}
	return n, nil
}

func (c *awsChunkedReader) readLine() (string, error) {
	line, err := c.in.ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		if errors.Is(err, io.EOF) {
			return "", io.ErrUnexpectedEOF
		}
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// readTrailers reads the trailer lines after the last chunk and checks a checksum among them.
// It returns io.EOF when the body is complete and correct.
func (c *awsChunkedReader) readTrailers() error {
	for {
		line, err := c.readLine()
		if errors.Is(err, io.ErrUnexpectedEOF) || (err == nil && line == "") {
			return io.EOF
		}
		if err != nil {
			return err
		}
		name, value, _ := strings.Cut(line, ":")
		algorithm, isChecksum := strings.CutPrefix(strings.ToLower(strings.TrimSpace(name)), "x-amz-checksum-")
		if isChecksum && algorithm == c.algorithm && c.sum != nil {
			if base64.StdEncoding.EncodeToString(c.sum.Sum(nil)) != strings.TrimSpace(value) {
				return badDigest(algorithm)
			}
		}
	}
}
